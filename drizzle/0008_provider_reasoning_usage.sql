ALTER TABLE `agents` ADD `reasoning` text DEFAULT 'off' NOT NULL;--> statement-breakpoint
ALTER TABLE `messages` ADD `reasoning_tokens` integer;--> statement-breakpoint
ALTER TABLE `messages` ADD `cached_input_tokens` integer;