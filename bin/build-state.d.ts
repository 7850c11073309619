// Types for build-state.js (plain JavaScript, so that bin/herald.js needs no compiler).
export declare const STAMP: string;
export declare function buildIsCurrent(root: URL): boolean;
