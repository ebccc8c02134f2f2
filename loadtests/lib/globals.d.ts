// k6 provides console in every script; @types/k6 does not declare it (it lives in DOM's lib).
declare const console: { log(...args: unknown[]): void; error(...args: unknown[]): void };
