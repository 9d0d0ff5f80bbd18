import { measureResponsiveness } from './bench/db/responsiveness.ts';
console.log((await measureResponsiveness()).join('\n'));
