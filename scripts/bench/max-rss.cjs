// Preloaded into a benchmarked command (node --require): prints the process's peak resident
// memory, which includes its worker threads, to stderr as it exits.
process.on('exit', () => {
  process.stderr.write(`\nPOSRECON_MAXRSS_KB=${process.resourceUsage().maxRSS}\n`);
});
