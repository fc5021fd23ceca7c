"""The three wire dialects (hood, core, crm) and the mechanism they share (common)."""
