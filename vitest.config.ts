import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Oracle tests build real network namespaces; they must not race each other for names.
    fileParallelism: true,
    testTimeout: 30_000,
    reporters: ['default', './test/summary-reporter.ts'],
  },
});
