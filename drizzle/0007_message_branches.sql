CREATE TABLE `share_links` (
	`id` text PRIMARY KEY NOT NULL,
	`task_id` text NOT NULL,
	`user_id` text NOT NULL,
	`title` text NOT NULL,
	`agent_name` text NOT NULL,
	`messages` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`task_id`) REFERENCES `tasks`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `share_links_user_idx` ON `share_links` (`user_id`);--> statement-breakpoint
CREATE INDEX `share_links_task_idx` ON `share_links` (`task_id`);--> statement-breakpoint
ALTER TABLE `messages` ADD `parent_id` text;--> statement-breakpoint
CREATE INDEX `messages_parent_idx` ON `messages` (`task_id`,`parent_id`);--> statement-breakpoint
ALTER TABLE `tasks` ADD `active_leaf_id` text;--> statement-breakpoint
ALTER TABLE `tasks` ADD `playground` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `users` ADD `theme` text DEFAULT 'system' NOT NULL;--> statement-breakpoint
-- Messages stored before branches follow the one written before them, and each task reads its
-- last message as the end of its history.
UPDATE `messages` SET `parent_id` = (
	SELECT `previous`.`id` FROM `messages` AS `previous`
	WHERE `previous`.`task_id` = `messages`.`task_id` AND `previous`.`position` < `messages`.`position`
	ORDER BY `previous`.`position` DESC LIMIT 1
);--> statement-breakpoint
UPDATE `tasks` SET `active_leaf_id` = (
	SELECT `id` FROM `messages` WHERE `task_id` = `tasks`.`id` ORDER BY `position` DESC LIMIT 1
);--> statement-breakpoint
-- Every new message, however it is written, becomes the end of its task's history.
CREATE TRIGGER `message_active_leaf` AFTER INSERT ON `messages` BEGIN
	UPDATE `tasks` SET `active_leaf_id` = new.`id` WHERE `id` = new.`task_id`;
END;
