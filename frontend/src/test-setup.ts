// Vitest: React's act() is available in these tests.
(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
// No server in unit tests: the instance's own wording is empty unless a test sets it.
import { tenantWording } from "./i18n";
tenantWording.load = async () => ({});
// Whatever a test attached to the page is unmounted and removed after it.
import { afterEach } from "vitest";
import { detachAll } from "./testing/attach";
afterEach(detachAll);
