"""Browser tests: the system Chromium (Debian's `chromium`) driven by Playwright for Python,
headless, against a real `partnerhub serve`, with no request allowed off the machine.

Fixtures (for every page of partnerhub: the API docs, the console):

* `browser` (package): one Chromium for all of tests/browser. Missing Chromium or Playwright
  skips with the reason shown; under CI=true it fails.
* `partnerhub` / `partnerhub_server` (the project's pytest plugin, src/partnerhub/pytest_plugin):
  the session's server on a free loopback port, fresh SQLite database, known credentials
  (`token`, `admin_token`, `core_login`/`core_password`, `base_url`), reset before each test.
* `traffic` (function): a `kit.Traffic`, what the test's browser context asked for.
* `browser_context` (function): a context on that server (`page.goto("/docs")` works) whose
  requests to anything but 127.0.0.0/8, [::1] and localhost are aborted and recorded; when it
  closes, the test fails on such a request, an uncaught page error or a console error (unless
  tolerated: `traffic.tolerate_console_errors(regex)`).
* `page` (function): a page of that context; a failed test leaves `failed-<test>.png`.
* `screenshot` (function): `screenshot(name, target=None, *, full_page=False, mask=()) -> Path`
  writes `<name>.png` of the page (or of a locator; `mask`: locators painted over, such as a
  token) to kit.SCREENSHOTS: tests/browser/screenshots/ (ignored by git), or
  $PARTNERHUB_SCREENSHOTS.

Browser tests are plain (not async) functions: Playwright's sync API keeps its event loop
current in this thread while the browser is up, which is why the browser lives only as long as
this package's tests and not for the whole session.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from browser.kit import (
    CHROMIUM,
    LAUNCH_ARGS,
    SCREENSHOTS,
    Traffic,
    is_loopback,
    require_browser,
    screenshot_path,
)
from provider_servers import TlsFiles, tls_files

if TYPE_CHECKING:
    from playwright.sync_api import (
        Browser,
        BrowserContext,
        ConsoleMessage,
        Locator,
        Page,
        Route,
        WebSocketRoute,
    )

    from partnerhub.pytest_plugin.served import Partnerhub

HERE = Path(__file__).resolve().parent
TIMEOUT_MS = 15_000
NAVIGATION_TIMEOUT_MS = 30_000
VIEWPORT = {"width": 1280, "height": 900}
_REPORTS = pytest.StashKey[dict[str, pytest.TestReport]]()
_written: list[Path] = []


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if HERE not in Path(str(item.path)).resolve().parents:
            continue
        item.add_marker(pytest.mark.browser)
        function = getattr(item, "function", None)
        if function is not None and inspect.iscoroutinefunction(function):
            raise pytest.UsageError(
                f"{item.nodeid}: browser tests are plain functions (Playwright's sync API)"
            )


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report: pytest.TestReport = yield
    item.stash.setdefault(_REPORTS, {})[report.when] = report
    return report


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if _written:
        terminalreporter.write_line(f"browser screenshots: {len(_written)} in {SCREENSHOTS}")


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    with require_browser() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS
        )
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def smtp_tls(tmp_path_factory: pytest.TempPathFactory) -> TlsFiles:
    """The throw-away CA and certificate of the browser tests' local SMTP servers."""
    return tls_files(tmp_path_factory.mktemp("browser-smtp-tls"))


@pytest.fixture(scope="session")
def partnerhub_environment(smtp_tls: TlsFiles) -> dict[str, str]:
    """The served partnerhub trusts that CA (an integration's "send test" reaches the server)."""
    return {"PARTNERHUB_SMTP_CA_FILE": str(smtp_tls.ca_file)}


@pytest.fixture
def traffic() -> Traffic:
    return Traffic()


@pytest.fixture
def browser_context(
    browser: Browser, partnerhub: Partnerhub, traffic: Traffic
) -> Iterator[BrowserContext]:
    context = browser.new_context(
        base_url=partnerhub.base_url,
        viewport=VIEWPORT,
        locale="en-US",
        timezone_id="UTC",
        # A service worker could fetch past the context's route.
        service_workers="block",
    )
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(NAVIGATION_TIMEOUT_MS)

    def route(route: Route) -> None:
        url = route.request.url
        if is_loopback(url):
            route.continue_()
        else:
            traffic.blocked.append(url)
            route.abort("blockedbyclient")

    def route_socket(socket: WebSocketRoute) -> None:
        traffic.requests.append(socket.url)
        if is_loopback(socket.url):
            socket.connect_to_server()
        else:
            traffic.blocked.append(socket.url)
            socket.close()

    def console(message: ConsoleMessage) -> None:
        if message.type == "error":
            traffic.console_errors.append(f"{message.text} ({message.location.get('url')})")

    context.route("**/*", route)
    context.route_web_socket(re.compile(".*"), route_socket)
    context.on("request", lambda request: traffic.requests.append(request.url))
    context.on("weberror", lambda error: traffic.page_errors.append(str(error.error)))
    context.on("console", console)
    yield context
    context.close()
    problems = traffic.problems()
    if problems:
        pytest.fail("the browser context saw:\n" + "\n".join(problems), pytrace=False)


@pytest.fixture
def page(browser_context: BrowserContext, request: pytest.FixtureRequest) -> Iterator[Page]:
    opened = browser_context.new_page()
    yield opened
    call = request.node.stash.get(_REPORTS, {}).get("call")
    if call is not None and call.failed and not opened.is_closed():
        test = request.node.nodeid.split("::", 1)[-1]
        name = re.sub(r"[^a-z0-9._-]+", "-", f"failed-{test}".lower())[:100]
        _shoot(opened, name)


def _shoot(
    target: Page | Locator,
    name: str,
    *,
    full_page: bool = False,
    mask: Sequence[Locator] = (),
) -> Path:
    path = screenshot_path(name)
    path.parent.mkdir(parents=True, exist_ok=True)
    if hasattr(target, "goto"):  # a Page
        target.screenshot(path=path, full_page=full_page, mask=list(mask))
    else:
        target.screenshot(path=path, mask=list(mask))
    _written.append(path)
    return path


@pytest.fixture
def screenshot(page: Page) -> Callable[..., Path]:
    def take(
        name: str,
        target: Page | Locator | None = None,
        *,
        full_page: bool = False,
        mask: Sequence[Locator] = (),
    ) -> Path:
        """`<name>.png` of the test's page (or of `target`) in the screenshots folder; `mask`:
        elements painted over (a token on the page, say)."""
        return _shoot(target or page, name, full_page=full_page, mask=mask)

    return take
