export { gitopsPlugin as default } from './plugin';
