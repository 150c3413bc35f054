CREATE TABLE `response_items` (
	`response_id` text NOT NULL,
	`kind` text NOT NULL,
	`position` integer NOT NULL,
	`item_id` text NOT NULL,
	`item` text NOT NULL,
	PRIMARY KEY(`response_id`, `kind`, `position`),
	FOREIGN KEY (`response_id`) REFERENCES `responses`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `response_items_item_idx` ON `response_items` (`item_id`);--> statement-breakpoint
CREATE TABLE `responses` (
	`id` text PRIMARY KEY NOT NULL,
	`task_id` text NOT NULL,
	`message_id` text NOT NULL,
	`body` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`task_id`) REFERENCES `tasks`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `responses_task_idx` ON `responses` (`task_id`);