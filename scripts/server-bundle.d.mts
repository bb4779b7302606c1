/** Types of server-bundle.mjs, for the TypeScript that calls it (the benchmark). */
export declare const BUNDLE: string;
export declare function ensureServerBundle(): Promise<string>;
export declare function bundleUrl(): string;
