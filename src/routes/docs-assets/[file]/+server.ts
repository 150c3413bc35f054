import { error } from '@sveltejs/kit';
import redocBundle from 'redoc/bundles/redoc.standalone.js?raw';
import swaggerBundle from 'swagger-ui-dist/swagger-ui-bundle.js?raw';
import swaggerCss from 'swagger-ui-dist/swagger-ui.css?raw';
import type { RequestHandler } from './$types';

/** The API documentation viewers, served from the installed packages (no CDN). */
const assets: Record<string, { body: string; type: string }> = {
	'swagger-ui-bundle.js': { body: swaggerBundle, type: 'text/javascript; charset=utf-8' },
	'swagger-ui.css': { body: swaggerCss, type: 'text/css; charset=utf-8' },
	'redoc.standalone.js': { body: redocBundle, type: 'text/javascript; charset=utf-8' }
};

export const GET: RequestHandler = ({ params }) => {
	const asset = Object.hasOwn(assets, params.file) ? assets[params.file] : undefined;
	if (!asset) error(404, 'No such documentation asset.');
	return new Response(asset.body, {
		headers: { 'content-type': asset.type, 'cache-control': 'public, max-age=86400', 'x-content-type-options': 'nosniff' }
	});
};
