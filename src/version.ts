/** The package version, reported in every result and manifest. */
export const VERSION = '0.1.0';
