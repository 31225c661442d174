import type { TestProject } from 'vitest/node';
import { sampleDll } from '../../scripts/host.mjs';

// Builds the sample host once, before any test and outside any hook timeout (a busy machine may take minutes).
export default function setup(project: TestProject) {
  project.provide('sampleDll', sampleDll());
}

declare module 'vitest' {
  export interface ProvidedContext {
    sampleDll: string;
  }
}
