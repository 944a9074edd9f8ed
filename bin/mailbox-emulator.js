#!/usr/bin/env node
// Runs the TypeScript entry point directly (tsx), so the command works from a fresh clone without a build.
require("tsx/cjs");
require("../src/cli/mailbox-emulator.ts");
