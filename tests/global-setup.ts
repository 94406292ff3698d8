import { execFileSync } from 'node:child_process';

/** Tests that run the real command line need it built from the current sources. */
export default function setup(): void {
  execFileSync(process.execPath, ['scripts/build-cli.mjs'], { stdio: 'inherit' });
}
