#!/usr/bin/env node
// Runs the compiled practice-server (build/cli/practice-server.js; sources in src/cli/practice-server.ts).
require("./load-build")("practice-server");
