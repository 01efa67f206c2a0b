"""gRPC servicer of the users' upload areas: translates protobuf to domain calls, nothing else."""

from __future__ import annotations

from copepod.v1 import user_files_pb2, user_files_pb2_grpc

from services.core.auth import principal
from services.core.errors import InvalidArgument
from services.projects.domain.user_files import UserFiles


class UserFilesServicer(user_files_pb2_grpc.UserFilesServiceServicer):
    def __init__(self, files: UserFiles) -> None:
        self.files = files

    async def PutUserFile(self, request_iterator, context):
        user_id = principal().require_user()
        messages = request_iterator.__aiter__()
        first = await anext(messages, None)
        if first is None or first.WhichOneof("part") != "header":
            raise InvalidArgument("The first message must be the file's header.")
        header = first.header

        async def chunks():
            async for message in messages:
                if message.WhichOneof("part") != "data":
                    raise InvalidArgument("Only the first message may be a header.")
                yield message.data

        stored = await self.files.put(user_id=user_id, path=header.path, tag=header.tag,
                                      file_name=header.file_name, chunks=chunks())
        return user_files_pb2.PutUserFileResponse(server_path=stored.server_path, size=stored.size)

    async def ListUserFiles(self, request, context):
        user_id = principal().require_user()
        found = self.files.listing(user_id=user_id, sub_path=request.sub_path)
        return user_files_pb2.ListUserFilesResponse(
            path=found.path,
            entries=[user_files_pb2.UserFileEntry(name=e.name, type=e.type, size=e.size, mtime=e.mtime)
                     for e in found.entries])
