import { error } from '@sveltejs/kit';
import redocBundle from 'redoc/bundles/redoc.standalone.js?raw';
import swaggerBundle from 'swagger-ui-dist/swagger-ui-bundle.js?raw';
import swaggerCss from 'swagger-ui-dist/swagger-ui.css?raw';
import type { RequestHandler } from './$types';

/**
 * What starts Swagger UI on `/swagger`: a file rather than an inline script, which its policy
 * refuses. No online validator: its badge is an image from another site that is sent the
 * document's address.
 */
const swaggerInit = `window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#swagger-ui', deepLinking: true, persistAuthorization: true, validatorUrl: null });\n`;

/**
 * ReDoc's menu shows Redocly's logo from their CDN. Nothing on these pages comes from another site
 * (their policy refuses it), so the logo's address is an empty data URL: it fails to load, and
 * ReDoc then leaves the image out, keeping the "API docs by Redocly" link.
 */
const redoc = redocBundle.replace('"https://cdn.redoc.ly/redoc/logo-mini.svg"', '"data:,"');

/** The API documentation viewers, served from the installed packages (no CDN). */
const assets: Record<string, { body: string; type: string }> = {
	'swagger-ui-bundle.js': { body: swaggerBundle, type: 'text/javascript; charset=utf-8' },
	'swagger-init.js': { body: swaggerInit, type: 'text/javascript; charset=utf-8' },
	'swagger-ui.css': { body: swaggerCss, type: 'text/css; charset=utf-8' },
	'redoc.standalone.js': { body: redoc, type: 'text/javascript; charset=utf-8' }
};

export const GET: RequestHandler = ({ params }) => {
	const asset = Object.hasOwn(assets, params.file) ? assets[params.file] : undefined;
	if (!asset) error(404, 'No such documentation asset.');
	return new Response(asset.body, {
		headers: { 'content-type': asset.type, 'cache-control': 'public, max-age=86400', 'x-content-type-options': 'nosniff' }
	});
};
