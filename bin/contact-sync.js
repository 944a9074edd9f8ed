#!/usr/bin/env node
// Runs the compiled contact-sync (build/cli/contact-sync.js; sources in src/cli/contact-sync.ts).
require("./load-build")("contact-sync");
