// fs.readFile() is not an asynchronous call of the OS: libuv makes ordinary blocking
// system calls (open, fstat, read, close) on a pool of threads, and the main loop runs the
// callback. The pool is created once, at its first use, with UV_THREADPOOL_SIZE threads,
// and reused; dns.lookup(), crypto (pbkdf2, randomBytes, ...) and zlib share it.
//
//   UV_THREADPOOL_SIZE=4 node examples/sync_vs_async/node/readfile.js
//   UV_THREADPOOL_SIZE=1 node examples/sync_vs_async/node/readfile.js
//
// What is measured: four fs.readFile() calls and a crypto.pbkdf2(), started together. The
// first read is of a FIFO whose writer opens it only after 200 ms, so the pool thread
// running that read sits in open(2), blocked by the OS, like a read waiting on a slow disk.
// The other calls are ready at once. With 4 pool threads they finish at once; with 1, they
// queue behind the blocked read. Meanwhile a timer on the main thread keeps ticking. The
// process's threads are counted (Linux: /proc/self/task) before the first read, after it
// and after more reads; io_uring's kernel threads (iou-*) would show there too.
'use strict';
const { spawn, execFileSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const SLOW_MS = 200; // how long the FIFO's writer keeps the reader waiting
const poolSize = Number(process.env.UV_THREADPOOL_SIZE || 4); // libuv's default is 4

function threads() { // the names of this process's threads; none where there is no /proc
  const task = '/proc/self/task';
  if (!fs.existsSync(task)) return [];
  return fs.readdirSync(task).flatMap((id) => {
    try { return [fs.readFileSync(`${task}/${id}/comm`, 'utf8').trim()]; } catch { return []; }
  }); // (a kernel worker may exit between the listing and the read)
}
const notUring = (names) => names.filter((name) => !name.startsWith('iou-')).length;
const before = threads(); // nothing has used the pool yet

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
const finished = {}; // name -> ms after start, when its callback ran on the main thread

const done = (name, resolve, reject) => (error) => {
  if (error) return reject(error);
  finished[name] = Date.now() - start;
  return resolve();
};
const calls = [fifo, ...files].map((file) => new Promise((resolve, reject) => {
  fs.readFile(file, 'utf8', done(path.basename(file), resolve, reject));
}));
calls.push(new Promise((resolve, reject) => { // not a file: the same pool all the same
  crypto.pbkdf2('secret', 'salt', 1, 32, 'sha256', done('pbkdf2', resolve, reject));
}));
// --8<-- [end:reads]

Promise.all(calls).then(async () => {
  const afterFirst = threads();
  await Promise.all(files.map((file) => fs.promises.readFile(file))); // the same pool again
  const afterMore = threads();
  const quickDone = Math.max(...files.map((file) => finished[path.basename(file)]));
  const waited = (ms) => ms >= SLOW_MS * 0.8;
  console.log(`node ${process.versions.node}, libuv ${process.versions.uv}`);
  console.log(`libuv thread pool size: ${poolSize}`);
  console.log(`threads started at the pool's first use: ${notUring(afterFirst) - notUring(before)}`
    + `, by ${files.length} more reads: ${notUring(afterMore) - notUring(afterFirst)}`);
  console.log(`io_uring threads: ${afterMore.length - notUring(afterMore)}`);
  console.log(`started 4 reads: slow.fifo (blocks ${SLOW_MS} ms), a.txt, b.txt, c.txt; and a pbkdf2`);
  console.log(`the quick reads waited behind the blocked one: ${waited(quickDone)}`);
  console.log(`crypto.pbkdf2() waited behind it too: ${waited(finished.pbkdf2)}`);
  console.log(`main loop kept running meanwhile (at least 5 ticks): ${ticks >= 5}`);
}).catch((error) => {
  console.error(error);
  process.exitCode = 1;
}).finally(() => {
  clearInterval(ticker);
  writer.kill();
  fs.rmSync(dir, { recursive: true, force: true });
});
