-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "m2m_long";

-- CreateTable
CREATE TABLE "m2m_long"."ControlTemplateForEditors" (
    "id" TEXT NOT NULL,

    CONSTRAINT "ControlTemplateForEditors_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "m2m_long"."PolicyTemplateForEditorsABCDEFGH" (
    "id" TEXT NOT NULL,

    CONSTRAINT "PolicyTemplateForEditorsABCDEFGH_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "m2m_long"."OrganizationMembershipInvitation" (
    "id" INTEGER NOT NULL,

    CONSTRAINT "OrganizationMembershipInvitation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "m2m_long"."OrganizationMembershipInvitationRole" (
    "id" INTEGER NOT NULL,

    CONSTRAINT "OrganizationMembershipInvitationRole_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "m2m_long"."_ControlTemplateForEditorsToPolicyTemplateForEditorsABCDEFGH" (
    "A" TEXT NOT NULL,
    "B" TEXT NOT NULL,

    CONSTRAINT "_ControlTemplateForEditorsToPolicyTemplateForEditorsABC_AB_pkey" PRIMARY KEY ("A","B")
);

-- CreateTable
CREATE TABLE "m2m_long"."_OrganizationMembershipInvitationToOrganizationMembershipInvita" (
    "A" INTEGER NOT NULL,
    "B" INTEGER NOT NULL,

    CONSTRAINT "_OrganizationMembershipInvitationToOrganizationMembersh_AB_pkey" PRIMARY KEY ("A","B")
);

-- CreateIndex
CREATE INDEX "_ControlTemplateForEditorsToPolicyTemplateForEditorsABC_B_index" ON "m2m_long"."_ControlTemplateForEditorsToPolicyTemplateForEditorsABCDEFGH"("B");

-- CreateIndex
CREATE INDEX "_OrganizationMembershipInvitationToOrganizationMembersh_B_index" ON "m2m_long"."_OrganizationMembershipInvitationToOrganizationMembershipInvita"("B");

-- AddForeignKey
ALTER TABLE "m2m_long"."_ControlTemplateForEditorsToPolicyTemplateForEditorsABCDEFGH" ADD CONSTRAINT "_ControlTemplateForEditorsToPolicyTemplateForEditorsABCD_A_fkey" FOREIGN KEY ("A") REFERENCES "m2m_long"."ControlTemplateForEditors"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "m2m_long"."_ControlTemplateForEditorsToPolicyTemplateForEditorsABCDEFGH" ADD CONSTRAINT "_ControlTemplateForEditorsToPolicyTemplateForEditorsABCD_B_fkey" FOREIGN KEY ("B") REFERENCES "m2m_long"."PolicyTemplateForEditorsABCDEFGH"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "m2m_long"."_OrganizationMembershipInvitationToOrganizationMembershipInvita" ADD CONSTRAINT "_OrganizationMembershipInvitationToOrganizationMembershi_A_fkey" FOREIGN KEY ("A") REFERENCES "m2m_long"."OrganizationMembershipInvitation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "m2m_long"."_OrganizationMembershipInvitationToOrganizationMembershipInvita" ADD CONSTRAINT "_OrganizationMembershipInvitationToOrganizationMembershi_B_fkey" FOREIGN KEY ("B") REFERENCES "m2m_long"."OrganizationMembershipInvitationRole"("id") ON DELETE CASCADE ON UPDATE CASCADE;
