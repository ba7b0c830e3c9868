// Minimal @azure/functions-core: the API the Functions worker injects. Records registrations and hooks.
'use strict';
const state = { programmingModel: undefined, functions: [], hooks: {} };
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
  registerHook(name, callback) {
    (state.hooks[name] ??= []).push(callback);
    return { dispose() {} };
  },
  log() {},
};
