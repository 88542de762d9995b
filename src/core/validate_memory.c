/*-------------------------------------------------------------------------
 *
 * validate_memory.c
 *	  What the validator holds of a large schema, and when: the syntax tree
 *	  of each model is freed after the model's own passes, the fields'
 *	  records after the relations are paired; and the block names pass and
 *	  the model-by-model passes ask for the next blocks' and models' memory
 *	  while they work on this one (fm_prefetch).  The other passes that
 *	  prefetch do it in their own files: the pairing of relations
 *	  (validate_relation.c) and the names pass (validate_names.c).  The
 *	  design is in validate.c's header ("Memory, by design").
 *
 * src/core/validate_memory.c
 *
 *-------------------------------------------------------------------------
 */
#include <string.h>

#include "validate_int.h"


/* ---------- a step ahead of the caches ---------- */

/*
 * fmv_prefetch_block_attrs
 *		While the block names pass works on block i, what it reads of the
 *		blocks after it (their attributes: @@map, @@schema, @@ignore, ...),
 *		a step ahead of each load: the block four on, the attribute list of
 *		the block two on (its block was asked for two blocks ago), the
 *		attributes of the next one (their list one block ago).  At 10,000
 *		models the tree is out of the processor's caches, and this pass
 *		took twice as long waiting for each line in turn.
 */
void
fmv_prefetch_block_attrs(const FmAstSchema *ast, int i)
{
	const FmList *blocks = &ast->blocks;

	if (i + 4 < blocks->n)
		fm_prefetch(blocks->items[i + 4]);
	if (i + 2 < blocks->n && blocks->items[i + 2] != NULL)
		fm_prefetch(((const FmAstBlock *) blocks->items[i + 2])->attrs.items);
	if (i + 1 < blocks->n && blocks->items[i + 1] != NULL)
	{
		const FmAstBlock *next = blocks->items[i + 1];

		for (int k = 0; k < next->attrs.n; k++)
			fm_prefetch(next->attrs.items[k]);
	}
}

/*
 * fmv_prefetch_models
 *		While the model passes work on model i: ask for the record of model
 *		i + 3 and the block of model i + 2 (its record was asked for two
 *		models ago), and set pf to the span of model i + 1's tree (its block
 *		was asked for one model ago), which the caller asks for a slice at a
 *		time as it goes (fmv_prefetch_some): asked for at once, the 38 lines
 *		of a model queued behind each other, and the pass waited for them.
 */
void
fmv_prefetch_models(V *v, int i, FmvPrefetch *pf)
{
	VModel	  **m = (VModel **) v->models.items;

	pf->p = pf->hi = NULL;
	if (i + 3 < v->models.n)
		fm_prefetch(m[i + 3]);
	if (i + 2 < v->models.n)
		fm_prefetch(m[i + 2]->blk);
	if (i + 1 < v->models.n)
	{
		pf->p = m[i + 1]->blk->nodes_lo;
		pf->hi = m[i + 1]->blk->nodes_hi;
	}
}

/* ---------- freeing the tree as validation goes ---------- */

/*
 * fmv_model_by_model
 *		Do the passes of a model's own (fields, field attributes, block
 *		attributes) run model by model, not each over all models?  Always,
 *		unless a model reads another's fields in them: a partition or a
 *		child table does (@@partitionOf, @@inherits: fmv_lineage_field).
 *		The order depends on the schema alone, never on how its tree was
 *		parsed, so that a tree parsed by block, whose models' nodes are
 *		freed after their own passes (fmv_release_model), reports exactly what
 *		a tree parsed whole reports, also when the report is cut at
 *		FM_MAX_VALIDATOR_DIAGS or the suggestions' budget runs out (both
 *		count in the order of the passes).
 */
bool
fmv_model_by_model(V *v)
{
	return !v->has_lineage;
}

/*
 * fmv_release_model
 *		After the own passes of model i (v->models): forget its syntax tree
 *		(VField.ast, its block's members), and free the arena of its chunk
 *		(FmAstBlock.nodes) when the next model is in another, as then every
 *		model of the chunk is done.  The later passes read what VField,
 *		VModel and the block itself keep (validate_int.h), and a field's
 *		@relation, which the parser keeps out of the chunk.
 */
void
fmv_release_model(V *v, FmAstSchema *ast, int i)
{
	VModel	   *vm = fm_list_get(&v->models, i, VModel);
	FmArena    *nodes = vm->blk->nodes;
	VModel	   *next = i + 1 < v->models.n ? fm_list_get(&v->models, i + 1, VModel) : NULL;

	for (int j = 0; j < vm->fields.n; j++)
		fm_list_get(&vm->fields, j, VField)->ast = NULL;
	memset(&vm->blk->fields, 0, sizeof(FmList));
	memset(&vm->blk->attrs, 0, sizeof(FmList));
	if (nodes == NULL || (next != NULL && next->blk->nodes == nodes))
		return;
	for (int k = 0; k < ast->node_arenas.n; k++)
		if (ast->node_arenas.items[k] == nodes)
		{
			fm_arena_destroy(nodes);
			ast->node_arenas.items[k] = NULL;
			break;
		}
}

/*
 * fmv_forget_fields
 *		After the relations are paired, free the fields' records (v->f):
 *		the later passes (redundant keys and indexes, names) read tables,
 *		keys and the relation field of each foreign key (VModel.fk_fields),
 *		which moves to v->w first, its @relation forgotten (a tree parsed by
 *		block has freed it: FmAstSchema.relations).  Each model's field
 *		list and maps are emptied, so that nothing can read a freed record.
 */
void
fmv_forget_fields(V *v)
{
	for (int i = 0; i < v->models.n; i++)
	{
		VModel	   *vm = fm_list_get(&v->models, i, VModel);

		for (int k = 0; k < vm->fk_fields.n; k++)
		{
			VField	   *copy = fm_alloc(v->w, sizeof(VField));

			memcpy(copy, vm->fk_fields.items[k], sizeof(VField));
			copy->ast = NULL;
			if (copy->r != NULL)
			{
				copy->r->rel = NULL;
				copy->r->a_fields = copy->r->a_refs = copy->r->a_delete =
					copy->r->a_update = copy->r->a_map = NULL;
			}
			vm->fk_fields.items[k] = copy;
		}
		memset(&vm->fields, 0, sizeof(FmList));
		memset(&vm->by_field, 0, sizeof(FmHashMap));
		memset(&vm->by_column, 0, sizeof(FmHashMap));
	}
	fm_arena_destroy(v->f);
	v->f = NULL;
}
