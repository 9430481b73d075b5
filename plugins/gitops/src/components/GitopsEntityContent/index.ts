export { GitopsEntityContent } from './GitopsEntityContent';
