// Whether to run tests that need the real control plane: locally they skip without the binaries;
// in CI a missing build is a failure, so the test runs (and fails with the build hint).
import { kubeBinariesBuilt, NOT_BUILT_MESSAGE } from '../../src/lab/kube/binaries.js';

export function kubeSkipReason(): false | string {
  return kubeBinariesBuilt() || process.env.CI ? false : NOT_BUILT_MESSAGE;
}
