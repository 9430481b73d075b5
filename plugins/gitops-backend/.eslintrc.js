module.exports = require('../../scripts/eslint-plugin-config')(__dirname);
