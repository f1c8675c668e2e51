/**
 * Vite builds web/ into dist/web (served by `workflow-core serve` at `/`). `npm run dev:web`
 * serves it with hot reload and forwards API paths to a running serve (API_URL, default :8070).
 */
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

const api = process.env.API_URL ?? 'http://localhost:8070';

export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  plugins: [react()],
  resolve: {
    // @rjsf/core's test helper imports the ajv validator; ajv needs `unsafe-eval`, so it never ships.
    alias: { '@rjsf/validator-ajv8': `${import.meta.dirname}/src/editor/no-ajv-validator.ts` },
  },
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
    target: 'es2022',
    // Forms, code editors and layout load on first use; the shell stays small.
    chunkSizeWarningLimit: 800,
  },
  server: {
    proxy: Object.fromEntries(['/api', '/health', '/metrics', '/docs'].map((path) => [path, { target: api }])),
  },
  test: {
    root: import.meta.dirname,
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx'],
    environment: 'node',
  },
});
