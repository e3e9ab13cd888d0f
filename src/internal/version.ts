/** The package version, injected from package.json at build time (tsup and vitest define it). */
declare const __SDK_VERSION__: string;

/** The package version, injected from package.json at build time. */
export const VERSION: string = __SDK_VERSION__;
