import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

// The ASP.NET Core sample host (dotnet run --urls http://127.0.0.1:5080).
const host = process.env.REMATE_HOST ?? 'http://127.0.0.1:5080';

export default defineConfig({
  plugins: [react()],
  build: {
    // The host serves samples/RemateLive.Sample/wwwroot with an index.html fallback.
    outDir: '../wwwroot',
    emptyOutDir: true,
    sourcemap: true,
  },
  server: {
    port: 5173,
    proxy: {
      '/api': { target: host, changeOrigin: true },
      '/ws': { target: host, ws: true, changeOrigin: true },
      '/hubs': { target: host, ws: true, changeOrigin: true },
      '/health': { target: host, changeOrigin: true },
    },
  },
  test: {
    environment: 'node',
    include: ['src/**/*.test.ts'],
  },
});
