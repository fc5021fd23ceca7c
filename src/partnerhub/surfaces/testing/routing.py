"""Where the test-control API lives: one prefix outside the three surfaces."""

PREFIX = "/_partnerhub/test"
TAG = "test-control"
