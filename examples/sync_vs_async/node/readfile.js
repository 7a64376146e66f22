// fs.readFile() runs on libuv's thread pool: the main loop keeps running while a pool
// thread is blocked by the OS, and UV_THREADPOOL_SIZE bounds how many reads block at once.
//
//   UV_THREADPOOL_SIZE=4 node examples/sync_vs_async/node/readfile.js
//   UV_THREADPOOL_SIZE=1 node examples/sync_vs_async/node/readfile.js
//
// What is measured: four fs.readFile() calls, started together. The first reads a FIFO
// whose writer opens it only after 200 ms, so the pool thread running that read sits in
// open(2), blocked by the OS, like a read waiting on a slow disk. The other three read
// small files that are ready at once. With 4 pool threads they finish at once; with 1,
// they queue behind the blocked read. Meanwhile a timer on the main thread keeps ticking.
'use strict';
const { spawn, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const SLOW_MS = 200; // how long the FIFO's writer keeps the reader waiting
const poolSize = Number(process.env.UV_THREADPOOL_SIZE || 4); // libuv's default is 4

// --8<-- [start:reads]
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'readfile-'));
const fifo = path.join(dir, 'slow.fifo');
execFileSync('mkfifo', [fifo]);
const start = Date.now(); // before the writer's clock starts, so no wait goes unseen
const writer = spawn('sh', ['-c', `sleep ${SLOW_MS / 1000}; echo slow > "$1"`, 'sh', fifo]);
const files = ['a.txt', 'b.txt', 'c.txt'].map((name) => path.join(dir, name));
files.forEach((file) => fs.writeFileSync(file, 'quick\n'));

let ticks = 0; // the main loop's own work: a timer that fires every 10 ms
const ticker = setInterval(() => { ticks += 1; }, 10);
const finished = []; // [name, ms after start] for each read, when its callback ran

const reads = [fifo, ...files].map((file) => new Promise((resolve, reject) => {
  fs.readFile(file, 'utf8', (error) => { // runs on the main thread when the pool is done
    if (error) return reject(error);
    finished.push([path.basename(file), Date.now() - start]);
    return resolve();
  });
}));
// --8<-- [end:reads]

Promise.all(reads).then(() => {
  const quickDone = Math.max(...finished.filter(([n]) => n !== 'slow.fifo').map(([, ms]) => ms));
  console.log(`libuv thread pool size: ${poolSize}`);
  console.log(`started 4 reads: slow.fifo (blocks ${SLOW_MS} ms), a.txt, b.txt, c.txt`);
  console.log(`the quick reads waited behind the blocked one: ${quickDone >= SLOW_MS * 0.8}`);
  console.log(`main loop kept running meanwhile (at least 5 ticks): ${ticks >= 5}`);
}).catch((error) => {
  console.error(error);
  process.exitCode = 1;
}).finally(() => {
  clearInterval(ticker);
  writer.kill();
  fs.rmSync(dir, { recursive: true, force: true });
});
