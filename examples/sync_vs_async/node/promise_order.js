// A JavaScript Promise runs its executor at once, inside the constructor: the order that
// futures_order.py shows is Python's, where asyncio.create_task() only schedules its task.
// And await suspends the caller even on a promise that is already resolved.
//
//   node examples/sync_vs_async/node/promise_order.js
'use strict';

// --8<-- [start:order]
async function caller() {
  let ran = false;
  const promise = new Promise((resolve) => { // the executor: the code that resolves it
    ran = true;
    resolve(42);
  });
  console.log(`1. caller creates a promise: its executor ran already, inside the constructor: ${ran}`);
  console.log('2. caller awaits it, already resolved: the caller is suspended all the same');
  const result = await promise;
  console.log(`4. caller resumes with ${result}`);
}

caller(); // runs until its first await, then returns a promise of its own
console.log('3. the code after the call to caller() runs meanwhile');
// --8<-- [end:order]
