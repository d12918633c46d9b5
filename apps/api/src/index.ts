export * from './app.js';
export * from './server.js';
export * from './schemas.js';
export * from './services/ask-service.js';
export * from './error-handler.js';
export { defaultAdminDir } from './routes/admin-ui-routes.js';
