CREATE TABLE `agent_mcp_servers` (
	`agent_id` integer NOT NULL,
	`mcp_server_id` integer NOT NULL,
	`position` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`agent_id`, `mcp_server_id`),
	FOREIGN KEY (`agent_id`) REFERENCES `agents`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`mcp_server_id`) REFERENCES `mcp_servers`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `mcp_oauth_grants` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`server_id` integer NOT NULL,
	`user_id` text,
	`tokens` text,
	`expires_at` integer,
	`pending` text,
	`pending_state` text,
	`pending_at` integer,
	`status` text DEFAULT 'needs_sign_in' NOT NULL,
	`last_error` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`server_id`) REFERENCES `mcp_servers`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `mcp_oauth_grants_server_user_idx` ON `mcp_oauth_grants` (`server_id`,coalesce(`user_id`, ''));--> statement-breakpoint
CREATE UNIQUE INDEX `mcp_oauth_grants_state_idx` ON `mcp_oauth_grants` (`pending_state`);--> statement-breakpoint
ALTER TABLE `mcp_servers` ADD `auth` text DEFAULT 'headers' NOT NULL;--> statement-breakpoint
ALTER TABLE `mcp_servers` ADD `oauth_connection` text DEFAULT 'shared' NOT NULL;--> statement-breakpoint
ALTER TABLE `mcp_servers` ADD `oauth_scope` text;--> statement-breakpoint
ALTER TABLE `mcp_servers` ADD `oauth_client_id` text;--> statement-breakpoint
ALTER TABLE `mcp_servers` ADD `oauth_client` text;