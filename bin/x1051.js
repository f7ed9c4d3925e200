#!/usr/bin/env node
// The `x1051` command: a thin launcher for the bundled CLI (built by `npm run build`).
require('../dist/cli.js');
