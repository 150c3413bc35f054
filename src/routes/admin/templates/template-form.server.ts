import { textField } from '../catalog-form.server';

/** The template form's fields, as typed. */
export function readTemplateForm(form: FormData) {
	return {
		name: textField(form, 'name'),
		description: textField(form, 'description'),
		template: textField(form, 'template')
	};
}
