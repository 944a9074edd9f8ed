// Resolves on the event loop's next turn, after the I/O and callbacks already due: a macrotask, not a
// microtask. setImmediate where the runtime has it (Node); elsewhere a MessageChannel message, which
// browsers do not throttle in a hidden page the way they throttle setTimeout.
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => {
    if (typeof setImmediate === "function") {
      setImmediate(resolve);
      return;
    }
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}
