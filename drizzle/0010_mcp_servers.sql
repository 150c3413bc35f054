CREATE TABLE `mcp_servers` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`transport` text DEFAULT 'http' NOT NULL,
	`url` text,
	`command` text,
	`args` text DEFAULT '[]' NOT NULL,
	`allowed_hosts` text DEFAULT '[]' NOT NULL,
	`header_names` text DEFAULT '[]' NOT NULL,
	`secrets` text,
	`status` text DEFAULT 'failing' NOT NULL,
	`last_error` text,
	`last_ok_at` integer,
	`tool_listing` text DEFAULT '[]' NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `mcp_servers_name_unique` ON `mcp_servers` (`name`);--> statement-breakpoint
ALTER TABLE `tools` ADD `mcp_server_id` integer REFERENCES mcp_servers(id);