// The routing table type lives in fib_trie.ts (the kernel's fib_trie.c); this module keeps the older
// import path working.

export { FibTable, networkOf } from './fib_trie.js';
