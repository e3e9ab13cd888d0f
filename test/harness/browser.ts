/**
 * Real-browser helpers: Debian's Chromium driven by playwright-core (which downloads no browser),
 * and a watcher that records a page's console errors, uncaught errors and requests that leave
 * the page's own origin (the pages must work offline).
 */
import { accessSync, constants } from 'node:fs';
import { chromium } from 'playwright-core';
import type { Browser, ConsoleMessage, Page } from 'playwright-core';

/** Where Debian's `chromium` package installs the browser (`$CHROMIUM_PATH` overrides it). */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** How to get the browser when it is missing. */
export const CHROMIUM_INSTALL_COMMAND = 'apt-get install -y chromium';

/** Headless, sandbox-less (containers run as root), and quiet: no update, sync or QUIC traffic. */
export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--headless',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** The browser looked for: `$CHROMIUM_PATH` when set (another install), else {@link CHROMIUM_PATH}. */
function chromiumPath(): string {
  return process.env.CHROMIUM_PATH || CHROMIUM_PATH;
}

/** Path of an executable Chromium, or `undefined` when none is installed. */
export function findChromium(): string | undefined {
  const path = chromiumPath();
  try {
    accessSync(path, constants.X_OK);
    return path;
  } catch {
    return undefined;
  }
}

/**
 * Why browser tests cannot run on this machine (with the command that fixes it), or `undefined`
 * when they can. Tests use it to skip only themselves.
 *
 * @example
 * const skipReason = browserSkipReason();
 * if (skipReason) console.warn(skipReason);
 * describe.skipIf(skipReason !== undefined)('the page in Chromium', () => { ... });
 */
export function browserSkipReason(): string | undefined {
  if (findChromium()) return undefined;
  return `browser tests skipped: no Chromium at ${chromiumPath()}; install it with \`${CHROMIUM_INSTALL_COMMAND}\``;
}

/** Launches the installed Chromium headless; throws naming the install command when it is missing. */
export async function launchChromium(): Promise<Browser> {
  const executablePath = findChromium();
  if (!executablePath) throw new Error(`launchChromium: no Chromium at ${chromiumPath()}; install it with \`${CHROMIUM_INSTALL_COMMAND}\``);
  return chromium.launch({ executablePath, args: [...CHROMIUM_ARGS] });
}

/** A problem a page reported: a console error or an uncaught exception. */
export interface PageProblem {
  kind: 'console' | 'pageerror';
  text: string;
  /** The resource or script the message is about (console messages only). */
  url: string;
}

/** What {@link watchPage} collected; the arrays fill as the page runs. */
export interface PageWatch {
  /** Console errors and uncaught exceptions, apart from the tolerated ones. */
  readonly problems: PageProblem[];
  /** Failed loads of a tolerated URL while tolerated (see `tolerateFailedLoads`). */
  readonly tolerated: PageProblem[];
  /** Requests to anywhere but the page's origin (`data:` and `blob:` URLs aside). */
  readonly externalRequests: string[];
  /**
   * While set, a failed load of a URL starting with this prefix ("Failed to load resource",
   * which Chromium logs as a console error) is put in `tolerated`: for outages a test causes on
   * purpose. `undefined` ends it.
   */
  tolerateFailedLoads(urlPrefix: string | undefined): void;
}

/**
 * Watches `page`: records console errors, uncaught exceptions, and every request whose origin is
 * not `origin`, so a test can require a page that works offline and logs no error.
 */
export function watchPage(page: Page, origin: string): PageWatch {
  const problems: PageProblem[] = [];
  const tolerated: PageProblem[] = [];
  const externalRequests: string[] = [];
  let toleratedPrefix: string | undefined;
  page.on('console', (message: ConsoleMessage) => {
    if (message.type() !== 'error') return;
    const problem: PageProblem = { kind: 'console', text: message.text(), url: message.location().url };
    const isToleratedLoad =
      toleratedPrefix !== undefined && problem.url.startsWith(toleratedPrefix) && problem.text.startsWith('Failed to load resource');
    (isToleratedLoad ? tolerated : problems).push(problem);
  });
  page.on('pageerror', (error) => {
    problems.push({ kind: 'pageerror', text: error.stack ?? error.message, url: '' });
  });
  // Observed, not intercepted: interception would hide headers the network layer adds (Last-Event-ID).
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.origin !== origin && url.protocol !== 'data:' && url.protocol !== 'blob:') externalRequests.push(request.url());
  });
  return {
    problems,
    tolerated,
    externalRequests,
    tolerateFailedLoads(urlPrefix) {
      toleratedPrefix = urlPrefix;
    },
  };
}
