/*-------------------------------------------------------------------------
 *
 * validate_annotations.c
 *	  The doc-comment annotations of a model: "/// @renamed(from: ...)"
 *	  (renamed.c) and "/// @preserve(reason: ...)" (preserve.c), taken out
 *	  of the doc comment that becomes the table's COMMENT.
 *
 * src/core/validate_annotations.c
 *
 *-------------------------------------------------------------------------
 */
#include "validate_int.h"
#include "fm_preserve.h"
#include "fm_renamed.h"

/*
 * fmv_model_annotations
 *		Read the annotations of model vm (its table made): the table's
 *		comment without them, preserved, the old name it was renamed from;
 *		a malformed annotation is an error of the model.
 */
void
fmv_model_annotations(V *v, VModel *vm)
{
	FmAstBlock *b = vm->blk;
	FmPreserve	pr = fm_doc_preserve(v->t, b->comments.doc);
	FmRenamed	rn = fm_doc_renamed(v->t, pr.doc);

	if (pr.error != NULL)
		ERR(b->name_pos, "%s (model \"%s\")", pr.error, fmv_nz(b->name));
	vm->table->preserved = pr.reasons.n > 0;
	if (rn.error != NULL)
		ERR(b->name_pos, "%s (model \"%s\")", rn.error, fmv_nz(b->name));
	vm->table->comment = rn.doc && v->dl->doc_comments ? rn.doc : NULL;
	if (rn.from != NULL)
	{
		vm->table->renamed_from_written = rn.from;
		vm->table->renamed_from =
			fm_dialect_derive(v->dl, v->t, FM_NAME_TABLE, rn.from);
	}
}
