#!/usr/bin/env node
// Runs the compiled mailbox-emulator (build/cli/mailbox-emulator.js; sources in src/cli/mailbox-emulator.ts).
require("./load-build")("mailbox-emulator");
