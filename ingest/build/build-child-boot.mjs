// A child process does not get the TypeScript loader of the process that forks it unless told: register
// tsx here, then load the child itself.
import { register } from 'tsx/esm/api';

register();
await import('./build-child.ts');
