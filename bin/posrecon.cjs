#!/usr/bin/env node
// The command line is bundled by `npm install` (prepare) and `npm run build` into out/cli.
require('../out/cli/posrecon.js');
