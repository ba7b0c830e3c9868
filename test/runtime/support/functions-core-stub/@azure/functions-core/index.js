// Minimal @azure/functions-core: the API the Functions worker injects. Records registrations.
'use strict';
const state = { programmingModel: undefined, functions: [] };
module.exports = {
  state,
  setProgrammingModel(model) {
    state.programmingModel = { name: model.name, version: model.version };
  },
  getProgrammingModel() {
    return state.programmingModel;
  },
  registerFunction(metadata, callback) {
    state.functions.push({ metadata, callback });
    return { dispose() {} };
  },
  registerHook() {
    return { dispose() {} };
  },
  log() {},
};
