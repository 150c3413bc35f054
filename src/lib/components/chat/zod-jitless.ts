import { config } from 'zod/v4/core';

// Zod compiles its object parsers with `new Function` when it may, and finds out by calling
// `Function('')`: the pages' Content-Security-Policy refuses that (no 'unsafe-eval') and reports
// a violation on every page that parses. Zod's plain parsers need no eval. The only Zod in the
// pages is the AI SDK's (its stream validation), which chat-sdk.ts brings in after this runs.
config({ jitless: true });
