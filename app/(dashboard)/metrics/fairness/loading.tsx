export { PageLoading as default } from "../../page-loading";
