// ESLint (flat config): the recommended rule sets of ESLint, typescript-eslint, React hooks and jsx-a11y,
// unchanged, over the app, its tests and the browser tests. `npm run lint`; CI runs it (scripts/test.sh).
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import jsxA11y from 'eslint-plugin-jsx-a11y';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig([
  globalIgnores(['node_modules/', 'screenshots/']),
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    files: ['src/**/*.{ts,tsx}'],
    extends: [reactHooks.configs.flat.recommended, jsxA11y.flatConfigs.recommended],
    languageOptions: { globals: globals.browser },
  },
  {
    files: ['e2e/**/*.mjs', 'scripts/**/*.mjs', '*.config.{js,ts}'],
    languageOptions: { globals: globals.node },
  },
  {
    // The browser tests run functions inside the page (page.evaluate / waitForFunction).
    files: ['e2e/**/*.mjs'],
    languageOptions: { globals: globals.browser },
  },
]);
