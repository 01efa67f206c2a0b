"""The rules of the users service: accounts, credentials, memberships and groups. Plain Python;
the gRPC servicer translates to and from these functions."""
