import type { RequestHandler } from './$types';

const page = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8" />
<meta name="viewport" content="width=device-width, initial-scale=1" />
<title>Parley API · Swagger UI</title>
<link rel="stylesheet" href="/docs-assets/swagger-ui.css" />
</head>
<body>
<div id="swagger-ui"></div>
<script src="/docs-assets/swagger-ui-bundle.js"></script>
<script>
window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#swagger-ui', deepLinking: true, persistAuthorization: true });
</script>
</body>
</html>`;

/** Swagger UI over `/openapi.json`. */
export const GET: RequestHandler = () => new Response(page, { headers: { 'content-type': 'text/html; charset=utf-8' } });
