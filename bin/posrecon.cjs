#!/usr/bin/env node
// The command line is bundled by `npm install` (prepare) and `npm run build` into out/cli. On Linux
// it runs in a child process started with an allocator setting (electron/cli/launch.ts says why).
const launch = require('../out/cli/launch.js');
if (!launch.relaunched(__filename)) {
  launch.followLauncher();
  require('../out/cli/posrecon.js');
}
