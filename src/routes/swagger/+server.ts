import { STANDALONE_PAGE_CSP } from '$lib/server/http/security-headers';
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
<script src="/docs-assets/swagger-init.js"></script>
</body>
</html>`;

/** Swagger UI over `/openapi.json`; no inline script, so its Content-Security-Policy allows none. */
export const GET: RequestHandler = () =>
	new Response(page, {
		headers: { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': STANDALONE_PAGE_CSP }
	});
