// Preloaded into the firebase-tools process only (`node --require`, not NODE_OPTIONS, so
// neither the Functions workers nor the command under `emulators:exec` get it).
//
// The Functions emulator proxies each request to its worker over the global HTTP agent. Since
// Node 19 that agent keeps sockets alive, and a worker's server closes an idle one after 5 s.
// The agent drops its copy 1 s before, on a timer; when the emulator's event loop is busy (fifty
// workers starting on two cores), that timer runs late, the proxy writes the next request into a
// socket the worker already closed, gets EPIPE, and answers 500 "Request to function failed".
// No production front end does this. Node 18's default, one connection per request, ends it
// (test/unit/emulator-http-agent.test.ts shows the race, with test/fixtures/keep-alive-race.cjs).
const http = require("node:http");

http.globalAgent = new http.Agent({ keepAlive: false });
