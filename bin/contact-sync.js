#!/usr/bin/env node
// Runs the compiled contact-sync (build/cli/contact-sync.js; sources in src/cli/contact-sync.ts).
// undici parses HTTP with llhttp compiled to WebAssembly. V8 starts it in its baseline compiler and,
// once it is hot, recompiles it with TurboFan on a background thread; Node drains V8's background tasks
// before the process exits, so a short run waited 100-150 ms at its end for a compile it would never use
// (measured on a no-op sync: 110 ms between the last output and exit, 10 ms without). Baseline code
// parses a large sync's answers a little slower, a few ms in all. Set before any code is compiled, so
// the V8 code caches (load-build.js) are made and checked under the same flags.
require("node:v8").setFlagsFromString("--liftoff-only");
require("./load-build")("contact-sync");
